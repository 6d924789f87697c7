// What `setup` in @sextant/db/testing provides; declared per package because each resolves its own vitest copy.
declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export {};
