export * from './environments';
export * from './meta';
