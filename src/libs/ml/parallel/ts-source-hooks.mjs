/**
 * Node module hooks used only when training threads run from the TypeScript sources (vitest runs
 * src/ directly, so worker.js does not exist there). Registered inside the worker thread by
 * team.ts's boot snippet; never used by the compiled build in dist/.
 *
 * resolve: a relative `./x.js` import that does not exist is retried as `./x.ts` (the sources
 *          import with .js suffixes, as NodeNext requires).
 * load:    `.ts` files are read through Node's own loader and transpiled, one file at a time: with
 *          the Oxc transformer that vitest's bundler ships (rolldown/utils, native, ~80 ms to load)
 *          when it is there, else with the TypeScript compiler (a devDependency; ~0.5 s to load,
 *          per worker thread).
 * No I/O beyond Node's module loading.
 */

async function loadTranspiler() {
  try {
    const { transformSync } = await import('rolldown/utils');
    return (source, url) => {
      const out = transformSync(url, source, { lang: 'ts', sourcemap: false });
      if (out.errors.length > 0) {
        throw new Error(`cannot transpile ${url}: ${out.errors[0].message}`);
      }
      return out.code;
    };
  } catch {
    const { default: ts } = await import('typescript');
    const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false };
    return (source, url) => ts.transpileModule(source, { fileName: url, compilerOptions: options }).outputText;
  }
}

const transpile = await loadTranspiler();

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) {
    return next(url, context);
  }
  const { source } = await next(url, { ...context, format: 'module' });
  return { format: 'module', source: transpile(String(source), url), shortCircuit: true };
}
