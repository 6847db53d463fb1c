import { define } from '../shared/define.js';
import { SbAppSettings } from './sb-app-settings.js';

define('sb-app-settings', SbAppSettings);
export { SbAppSettings };
