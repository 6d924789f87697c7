// Owner of its tables (ARCHITECTURE.md "Who writes which table"); filled in by issue 14.
export {};
