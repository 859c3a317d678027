/** The Haven dashboard: entry point (styles are extracted into a file by Vite; no inline styles or scripts). */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { start } from './app.js';

void start();
