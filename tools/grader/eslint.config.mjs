// The shared config, minus the fixture modules: they hold deliberately broken code for the grader to grade.
import config from '@alx/eslint-config'

export default [...config, { ignores: ['test/fixtures/**', 'runtime/**'] }]
