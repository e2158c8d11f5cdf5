-- sextant for Neovim: the language server for Kamal 2 deployments.
--
--   require('sextant').setup({
--     cmd = { 'sextant', 'lsp' },          -- default
--     settings = { ignore = { 'S001' } },  -- kamalVersion, select, ignore, shellcheck
--     on_attach = function(client, bufnr) end,
--     capabilities = nil,
--   })
--
-- On Neovim 0.11 and later this is vim.lsp.config('sextant', ...) + vim.lsp.enable('sextant') with
-- the config of lsp/sextant.lua. On older versions (0.7 to 0.10) a FileType autocommand starts one
-- client per project root (vim.lsp.start_client, or vim.lsp.start from 0.10) and attaches each
-- Kamal buffer to it; `legacy = true` takes this path on newer versions too.

local kamal = require('sextant.kamal')

local M = {}

local INSTALL_HINT = 'Install it with `cargo install --path .` in a clone of the sextant repository, '
  .. "or point setup() at it: require('sextant').setup({ cmd = { '/path/to/sextant', 'lsp' } })."

local has_native = vim.fn.has('nvim-0.11') == 1 and type(vim.lsp.config) ~= 'nil' and vim.lsp.enable ~= nil

-- State of the legacy path.
local state = {
  config = nil, -- the resolved setup() options
  clients = {}, -- root -> client id
  warned = {}, -- binary -> true, once its absence was reported
  augroup = nil,
}

--- The default config, read from lsp/sextant.lua so that both paths share it.
function M.default_config()
  local files = vim.api.nvim_get_runtime_file('lsp/sextant.lua', false)
  local file = files[1]
  if file == nil then
    error('sextant: lsp/sextant.lua is not on the runtimepath; add the whole plugin folder')
  end
  return dofile(file)
end

local function is_list(value)
  if type(value) ~= 'table' then
    return false
  end
  local n = 0
  for _ in pairs(value) do
    n = n + 1
  end
  return n == #value
end

--- The settings as the server takes them: kamalVersion (string or null), shellcheck (boolean),
--- and select/ignore only when non-empty lists (a missing key means the server's default).
function M.server_settings(settings)
  settings = settings or {}
  local result = { kamalVersion = vim.NIL, shellcheck = true }
  if type(settings.kamalVersion) == 'string' and vim.trim(settings.kamalVersion) ~= '' then
    result.kamalVersion = vim.trim(settings.kamalVersion)
  end
  if type(settings.shellcheck) == 'boolean' then
    result.shellcheck = settings.shellcheck
  end
  for _, key in ipairs({ 'select', 'ignore' }) do
    local list = settings[key]
    if is_list(list) then
      local clean, seen = {}, {}
      for _, item in ipairs(list) do
        if type(item) == 'string' then
          item = vim.trim(item)
          if item ~= '' and not seen[item] then
            seen[item] = true
            table.insert(clean, item)
          end
        end
      end
      if #clean > 0 then
        result[key] = clean
      end
    end
  end
  return result
end

--- For the config's before_init: the initializationOptions are the server settings, unless the
--- config sets init_options itself.
function M.before_init(params, config)
  local init = params.initializationOptions
  if init == nil or init == vim.NIL or (type(init) == 'table' and next(init) == nil) then
    local settings = (config.settings or {}).sextant
    params.initializationOptions = M.server_settings(settings)
  end
end

--- The message shown once when the binary is missing.
function M.missing_message(binary)
  return ('sextant: `%s` was not found or is not executable, so Kamal files get no diagnostics. %s'):format(
    binary,
    INSTALL_HINT
  )
end

local function warn_missing(cmd)
  local binary = type(cmd) == 'table' and cmd[1] or nil
  if binary == nil or vim.fn.executable(binary) == 1 then
    return false
  end
  if not state.warned[binary] then
    state.warned[binary] = true
    vim.notify(M.missing_message(binary), vim.log.levels.ERROR)
  end
  return true
end

local function all_clients()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local result = {}
  for _, client in ipairs(get()) do
    if client.name == 'sextant' then
      table.insert(result, client)
    end
  end
  return result
end

local function notify_client(client, method, params)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function client_is_stopped(client)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:is_stopped()
  end
  return client.is_stopped()
end

--- Attaches the sextant client of the buffer's project to it, starting the client if needed
--- (legacy path). Does nothing for a buffer that is not a Kamal file.
function M.attach(bufnr)
  local config = state.config
  if config == nil then
    return
  end
  if bufnr == 0 or bufnr == nil then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
    return
  end
  local root = kamal.root_for_buffer(bufnr)
  if root == nil then
    return
  end

  local id = state.clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client ~= nil and not client_is_stopped(client) then
    vim.lsp.buf_attach_client(bufnr, id)
    return
  end
  if warn_missing(config.cmd) then
    return
  end

  local settings = config.settings or {}
  local client_config = {
    name = 'sextant',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = settings,
    init_options = config.init_options,
    capabilities = config.capabilities,
    handlers = config.handlers,
    before_init = config.before_init,
    on_init = function(new_client, result)
      -- Neovim before 0.11 does not send the settings after initialize by itself.
      if vim.fn.has('nvim-0.11') == 0 and next(settings) ~= nil then
        notify_client(new_client, 'workspace/didChangeConfiguration', { settings = settings })
      end
      if config.on_init then
        return config.on_init(new_client, result)
      end
    end,
    on_attach = config.on_attach,
    on_exit = function(code, signal, client_id)
      if state.clients[root] == client_id then
        state.clients[root] = nil
      end
      if config.on_exit then
        config.on_exit(code, signal, client_id)
      end
    end,
  }
  if vim.fn.has('nvim-0.10') == 1 then
    -- vim.lsp.start reuses the client of the same name and root, and attaches the buffer.
    id = vim.lsp.start(client_config, { bufnr = bufnr })
    if id ~= nil then
      state.clients[root] = id
    end
    return
  end
  id = vim.lsp.start_client(client_config)
  if id == nil then
    return
  end
  state.clients[root] = id
  vim.lsp.buf_attach_client(bufnr, id)
end

local function resolve(opts)
  local config = M.default_config()
  if opts.cmd ~= nil then
    config.cmd = opts.cmd
  end
  if opts.filetypes ~= nil then
    config.filetypes = opts.filetypes
  end
  -- `settings` holds the server's settings directly; `settings.sextant` is accepted as well.
  local user = opts.settings or {}
  if type(user.sextant) == 'table' then
    user = user.sextant
  end
  config.settings = { sextant = vim.tbl_extend('force', config.settings.sextant, user) }
  for _, key in ipairs({ 'on_attach', 'on_init', 'on_exit', 'capabilities', 'handlers', 'init_options' }) do
    if opts[key] ~= nil then
      config[key] = opts[key]
    end
  end
  if opts.before_init ~= nil then
    local own = opts.before_init
    config.before_init = function(params, client_config)
      M.before_init(params, client_config)
      own(params, client_config)
    end
  end
  return config
end

--- Sets sextant up. See the top of this file for the options.
function M.setup(opts)
  opts = opts or {}
  local config = resolve(opts)

  if has_native and not opts.legacy then
    state.config = nil
    local overrides = { cmd = config.cmd, filetypes = config.filetypes, settings = config.settings }
    for _, key in ipairs({ 'on_attach', 'on_init', 'on_exit', 'capabilities', 'handlers', 'init_options', 'before_init' }) do
      if opts[key] ~= nil then
        overrides[key] = config[key]
      end
    end
    vim.lsp.config('sextant', overrides)
    warn_missing(config.cmd)
    vim.lsp.enable('sextant')
    return
  end

  state.config = config
  state.augroup = vim.api.nvim_create_augroup('sextant', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = state.augroup,
    pattern = config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before setup().
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.attach(bufnr)
    end
  end
end

--- Changes server settings at run time, e.g. update_settings({ ignore = { 'S001' } }), and tells
--- every running sextant client (workspace/didChangeConfiguration).
function M.update_settings(settings)
  settings = settings or {}
  if type(settings.sextant) == 'table' then
    settings = settings.sextant
  end
  if state.config ~= nil then
    state.config.settings.sextant = vim.tbl_extend('force', state.config.settings.sextant, settings)
  elseif has_native then
    local current = (vim.lsp.config.sextant or {}).settings or {}
    local merged = vim.tbl_extend('force', current.sextant or {}, settings)
    vim.lsp.config('sextant', { settings = { sextant = merged } })
  end
  for _, client in ipairs(all_clients()) do
    local client_settings = client.settings or client.config.settings
    client_settings.sextant = vim.tbl_extend('force', client_settings.sextant or {}, settings)
    client.config.settings = client_settings
    notify_client(client, 'workspace/didChangeConfiguration', { settings = client_settings })
  end
end

--- The running sextant clients.
function M.clients()
  return all_clients()
end

--- Stops every sextant client and starts them again for the open Kamal buffers (after installing
--- or updating the binary). Bound to :SextantRestart.
function M.restart()
  local buffers = {}
  local clients = all_clients()
  for _, client in ipairs(clients) do
    for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client.id)) do
      buffers[bufnr] = true
    end
    vim.lsp.stop_client(client.id)
  end
  vim.wait(3000, function()
    for _, client in ipairs(clients) do
      if not client_is_stopped(client) then
        return false
      end
    end
    return true
  end, 50)
  state.clients = {}
  state.warned = {}
  if state.config ~= nil then
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        M.attach(bufnr)
      end
    end
  elseif has_native then
    warn_missing((vim.lsp.config.sextant or {}).cmd)
    -- Run vim.lsp.enable's own FileType handler on each buffer: it starts what applies.
    local ok = pcall(function()
      for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_is_loaded(bufnr) then
          vim.api.nvim_exec_autocmds('FileType', { group = 'nvim.lsp.enable', buffer = bufnr })
        end
      end
    end)
    if not ok then
      vim.lsp.enable('sextant')
    end
  end
  return vim.tbl_count(buffers)
end

return M
