import { define } from '../shared/define.js';
import { SbDataBrowser } from './sb-data-browser.js';

define('sb-data-browser', SbDataBrowser);
export { SbDataBrowser };
