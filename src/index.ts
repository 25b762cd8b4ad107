/**
 * LakeSync's public surface. Everything a client app, a gateway host or a test harness needs;
 * internal helpers stay behind their folders.
 */
export * from './adapter';
export * from './client';
export * from './conflict';
export * from './delta';
export * from './gateway';
export * from './hlc';
export * from './ports';
export * from './proto';
export * from './queue';
export * from './result';
