// One definition per limit: the evaluator and the save-time schema read the same numbers.
export const FLAG_CONTEXT_LIMITS = {
  /** Own fields of an evaluation context; more answers INVALID_CONTEXT before any work. */
  maxFields: 100,
  /** Characters in one field name. */
  maxKeyLength: 200,
  /** Characters in one string value. */
  maxValueLength: 4_096,
  /** Characters of all field names and string values together (a 1 MB context is refused). */
  maxTotalChars: 32_768,
} as const;

export const FLAG_CONFIG_LIMITS = {
  maxKeyLength: 200,
  maxStrategies: 50,
  maxConstraintsPerStrategy: 30,
  maxConstraintValues: 1_000,
  maxValueLength: 1_000,
  /** User ids in one `userIds` strategy; 10,000 is refused at save time. */
  maxUserIds: 1_000,
  maxVariants: 50,
  maxOverrideValues: 1_000,
  maxPayloadLength: 32_768,
  /** Variant weights are integers totalling exactly this (Unleash's 1000 = 100.0 %). */
  variantWeightTotal: 1_000,
} as const;
