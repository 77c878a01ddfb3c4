/** The snapshot file format library: container, encodings, section registry. Pure TypeScript (no Node APIs). */
export * from './errors.ts';
export * from './source.ts';
export * from './hash.ts';
export * from './codec.ts';
export * from './container.ts';
export * from './encodings.ts';
export * from './sections.ts';
export * from './inspect.ts';
