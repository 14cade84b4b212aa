// jest resolver for grading a submission in place: the module's official tests run from the module folder, and
// every import that resolves to one of the module's task files is redirected to the submission's copy. Files the
// submission adds are found next to its own files; everything else (helpers, node_modules) comes from the module,
// so error classes and test helpers keep one identity. The grader writes a small wrapper that calls
// createResolver({ moduleDir, submissionDir, taskFiles }) and points jest's `resolver` option at it.
const fs = require('node:fs')
const path = require('node:path')

function inside(parent, child) {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function relativeTo(root, file) {
  return path.relative(root, file).split(path.sep).join('/')
}

function inNodeModules(file) {
  return file.split(path.sep).includes('node_modules')
}

function createResolver({ moduleDir, submissionDir, taskFiles }) {
  const tasks = new Set(taskFiles)

  function overlay(file) {
    if (inNodeModules(file)) return file
    if (inside(moduleDir, file)) {
      const rel = relativeTo(moduleDir, file)
      if (!tasks.has(rel)) return file
      const submitted = path.join(submissionDir, rel)
      if (!fs.existsSync(submitted)) {
        const error = new Error(`Cannot find module '${submitted}': the submission has no ${rel}.`)
        error.code = 'MODULE_NOT_FOUND'
        throw error
      }
      return submitted
    }
    if (inside(submissionDir, file)) {
      const rel = relativeTo(submissionDir, file)
      const official = path.join(moduleDir, rel)
      return !tasks.has(rel) && fs.existsSync(official) ? official : file
    }
    return file
  }

  return function resolve(request, options) {
    const basedir = options.basedir
    // Resolve a submission file's imports as if it sat in the module, so bare imports find the module's node_modules.
    const mirrored = inside(submissionDir, basedir) && !inNodeModules(basedir) ? path.join(moduleDir, path.relative(submissionDir, basedir)) : basedir
    let resolved
    try {
      resolved = options.defaultResolver(request, { ...options, basedir: mirrored })
    } catch (error) {
      if (mirrored === basedir) throw error
      resolved = options.defaultResolver(request, { ...options, basedir })
    }
    return overlay(resolved)
  }
}

module.exports = { createResolver }
