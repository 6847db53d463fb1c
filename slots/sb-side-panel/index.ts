import { define } from '../shared/define.js';
import { SbSidePanel } from './sb-side-panel.js';

define('sb-side-panel', SbSidePanel);
export { SbSidePanel };
