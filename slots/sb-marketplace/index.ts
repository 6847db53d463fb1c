import { define } from '../shared/define.js';
import { SbMarketplace } from './sb-marketplace.js';

define('sb-marketplace', SbMarketplace);
export { SbMarketplace };
