export { createFixtures, FIXTURE_PASSWORD, type Fixtures } from './fixtures';
export { type InputBuilder, PROCEDURES, type ProcedureRule } from './procedures';
