export * from './assert';
export * from './errors';
export * from './result';
