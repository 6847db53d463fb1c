import { define } from '../shared/define.js';
import { SbFloatingWindows } from './sb-floating-windows.js';

define('sb-floating-windows', SbFloatingWindows);
export { SbFloatingWindows };
