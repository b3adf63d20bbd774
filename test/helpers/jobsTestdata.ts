/**
 * The architecture paper's "Calculate Root" job schema (section 3, "Sample job_schema.proto"), with
 * its one slip fixed: `repeated node = 1;` has no type, so here it is `repeated string node = 1;`.
 * Shared by the schema unit test and the jobs app test.
 */
export const CALCULATE_ROOT_SCHEMA = `// The greeting service definition.
service Worker {
  // Sends a greeting
  rpc CalculateRoot (Request) returns (WorkerReply) {}
}
service Evaluator {
  // Sends a greeting
  rpc EvaluateRoot (Request, Workers) returns (EvaluationResult) {}
}
message Request {
  float y = 1;
}
message WorkerReply {
  float x = 1;
}
message Worker {
  string node = 1;
  WorkerReply response = 3;
}
message Workers {
  repeated Worker workers = 1;
}
message EvaluationResult {
  repeated string node = 1; // returns highest ranked worker first. drops invalid worker.
}
`;

/** The paper's sample exactly as printed: `repeated node = 1;` lacks its type. */
export const PAPER_SAMPLE_AS_PRINTED = CALCULATE_ROOT_SCHEMA.replace('repeated string node = 1;', 'repeated node = 1;');
