/** Vite/vitest `?raw` imports (test fixtures read as text without node:fs in libs). */
declare module '*?raw' {
  const text: string;
  export default text;
}
