-- :checkhealth sextant
local M = {}

function M.check()
  local health = vim.health or require('health')
  local start = health.start or health.report_start
  local ok = health.ok or health.report_ok
  local error = health.error or health.report_error
  local info = health.info or health.report_info

  start('sextant')
  local version = vim.version()
  local nvim = ('%d.%d.%d'):format(version.major, version.minor, version.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok(('Neovim %s: vim.lsp.config / vim.lsp.enable("sextant") and setup() both work'):format(nvim))
  else
    ok(('Neovim %s: use require("sextant").setup()'):format(nvim))
  end

  if #vim.api.nvim_get_runtime_file('lsp/sextant.lua', false) == 0 then
    error('lsp/sextant.lua is not on the runtimepath: add the whole editors/nvim folder')
  end

  local cmd = { 'sextant', 'lsp' }
  if vim.fn.has('nvim-0.11') == 1 then
    local resolved = vim.lsp.config.sextant
    if resolved and type(resolved.cmd) == 'table' then
      cmd = resolved.cmd
    end
  end
  local clients = require('sextant').clients()
  if #clients > 0 and type(clients[1].config.cmd) == 'table' then
    cmd = clients[1].config.cmd
  end
  if vim.fn.executable(cmd[1]) == 1 then
    local output = vim.fn.system({ vim.fn.exepath(cmd[1]), '--version' })
    ok(('`%s` found: %s'):format(vim.fn.exepath(cmd[1]), vim.trim(output)))
  else
    error(('`%s` not found or not executable'):format(cmd[1]), {
      'Install it with `cargo install --path .` in a clone of the sextant repository',
      "or set its path: require('sextant').setup({ cmd = { '/path/to/sextant', 'lsp' } })",
    })
  end

  if #clients == 0 then
    info('no sextant client is running (open a Kamal file: config/deploy.yml, .kamal/secrets, ...)')
  end
  for _, client in ipairs(clients) do
    local buffers = #vim.lsp.get_buffers_by_client_id(client.id)
    ok(('client %d for %s, %d buffer(s)'):format(client.id, client.config.root_dir or '?', buffers))
  end
end

return M
