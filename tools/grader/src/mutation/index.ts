// Mutation grading: for modules whose learners write tests (unittests-0x03). Wire it with
// `if (isMutationModule(module.dir)) report = await gradeTestSubmission(module, { root, submissionDir })`.
export { isMutationModule, MUTATION_CONFIG, parseMutationConfig, readMutationConfig } from './config'
export type { MutantDefinition, MutantEdit, MutationConfig, TestDemand } from './config'
export { demandLine, gradeTestSubmission, survivorLine } from './grade-tests'
export type { DemandOutcome, GradeTestSubmissionOptions, MutantOutcome, MutationGradeReport, MutationSummary, TaskMutationGrade } from './grade-tests'
export { absolutizeImports, applyMutant, writeMutants } from './mutants'
export type { WrittenMutant } from './mutants'
export { renderMutationReport } from './render'
export { runMutationJest } from './run'
export type { BlockedConnection, MutationFileResult, MutationRun, MutationRunPlan, MutationTestResult } from './run'
