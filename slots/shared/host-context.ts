/** The host that `<sb-host>` provides to the slot elements inside it, through `@lit/context` (it crosses shadow roots). */
import { createContext } from '@lit/context';
import type { Host } from '../../src/for-slots.js';

// A registered symbol: two bundles of slotbridge on one page still meet.
export const hostContext = createContext<Host | undefined>(Symbol.for('slotbridge.host'));
