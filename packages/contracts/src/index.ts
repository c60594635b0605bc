export * from './access';
export * from './audit';
export * from './auth';
export * from './common';
export * from './events';
export * from './organization';
export * from './permissions';
