// The contract owns the placeholders, the check and the rendering, so the portal's form and preview
// say exactly what the server does.
export {
  DEFAULT_FILE_NAME_TEMPLATE,
  FILE_NAME_PLACEHOLDERS,
  type FileNameFields,
  fileNameTemplateProblem,
  renderFileName,
} from '@mailissa/contracts/file-name-template';
