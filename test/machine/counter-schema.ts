import { defineSchema } from '../../src/devices/state.ts';

/** State of the test device that device-state.test.ts's workers update under its lock. */
export const counterSchema = defineSchema({ name: 'counter', version: 1, fields: { a: { type: 'u32' }, b: { type: 'u64' } } });
