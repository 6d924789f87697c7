export * from './audit';
export * from './environments';
export * from './identity';
export * from './meta';
export * from './metrics';
export * from './monitoring';
export * from './scrape-targets';
