/** `slotbridge/guest/testing`: a host in the same page, for an extension's unit tests. */
export { createMockHost, type MockHost, type MockHostOptions } from './create-mock-host.js';
