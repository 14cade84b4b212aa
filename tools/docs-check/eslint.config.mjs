export { default } from '@alx/eslint-config'
