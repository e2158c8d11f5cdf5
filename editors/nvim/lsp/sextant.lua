-- The sextant language server (Kamal 2 deployments), for Neovim 0.11 and later:
--
--   vim.lsp.enable('sextant')
--
-- and, to change anything below, before it:
--
--   vim.lsp.config('sextant', { settings = { sextant = { ignore = { 'S001' } } } })
--
-- The server is attached only to Kamal files: config/deploy*.yml, .kamal/secrets*, .kamal/hooks/*
-- and the project's Dockerfile, in a folder holding config/deploy.yml (see lua/sextant/kamal.lua).
-- Other YAML, shell and Dockerfiles are left alone.

---@type vim.lsp.Config
return {
  cmd = { 'sextant', 'lsp' },
  -- .kamal/secrets* get the `sh` filetype from this plugin (plugin/sextant.lua), as .env files do.
  filetypes = { 'yaml', 'sh', 'bash', 'dockerfile' },
  root_dir = function(bufnr, on_dir)
    local root = require('sextant.kamal').root_for_buffer(bufnr)
    if root ~= nil then
      on_dir(root)
    end
  end,
  -- The server's settings: kamalVersion ("2.8.2", or vim.NIL to take it from the project),
  -- select and ignore (lists of rule codes or prefixes), shellcheck (boolean).
  settings = {
    sextant = {
      kamalVersion = vim.NIL,
      shellcheck = true,
    },
  },
  -- Unless init_options are set, the server gets the same settings as initializationOptions.
  before_init = function(params, config)
    require('sextant').before_init(params, config)
  end,
}
