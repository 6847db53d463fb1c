import { define } from '../shared/define.js';
import { SbHost } from './sb-host.js';

define('sb-host', SbHost);
export { SbHost };
