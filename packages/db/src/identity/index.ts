export * from './api-keys';
export * from './passwords';
export * from './rate-limit';
export * from './roles';
export * from './secret';
export * from './sessions';
export * from './sign-in-throttle';
export * from './tokens';
