export { createFixtures, FIXTURE_PASSWORD, type Fixtures } from './fixtures';
export { testAlert, testMessage, testTarget } from './notify-messages';
export { type InputBuilder, PROCEDURES, type ProcedureRule } from './procedures';
