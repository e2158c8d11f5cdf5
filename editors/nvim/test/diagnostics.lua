-- Headless test of the plugin; run by test/run.sh, which starts
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim' -c 'luafile editors/nvim/test/diagnostics.lua'
--
-- 1. Sets sextant up (SEXTANT_TEST_API: `setup` = require('sextant').setup, the default;
--    `legacy` = setup({ legacy = true }); `native` = vim.lsp.config + vim.lsp.enable with the
--    plugin's lsp/sextant.lua, Neovim 0.11+), with the command in SEXTANT_CMD (default `sextant lsp`).
-- 2. Opens examples/config/deploy.yml of the repository, waits up to 15 s for diagnostics of the
--    sextant client and prints them. At least one with a source and a code must arrive.
-- 3. In a temporary project, checks which files get the server: deploy configs, secrets, hooks and
--    the project's Dockerfile do (one client per project root); .github/workflows/deploy.yml, other
--    YAML, another Dockerfile and files outside any project do not.
-- 4. With the fake server (SEXTANT_FAKE_LOG set), checks what the server was sent: the settings as
--    initializationOptions and didChangeConfiguration, didOpen only for Kamal files.
-- 5. Runs :SextantRestart and waits for a new client and new diagnostics.
-- Exits 0 when every check passes, 1 otherwise.

local failures = 0

local function out(line)
  io.stdout:write(line .. '\n')
end

local function check(condition, what)
  if condition then
    out('ok: ' .. what)
  else
    failures = failures + 1
    out('FAIL: ' .. what)
  end
end

local function finish()
  io.stdout:flush()
  if failures > 0 then
    out(('%d check(s) failed'):format(failures))
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local ok, err = xpcall(function()
  local repo = assert(os.getenv('SEXTANT_REPO'), 'SEXTANT_REPO is not set')
  local api = os.getenv('SEXTANT_TEST_API') or 'setup'
  local cmd = vim.split(os.getenv('SEXTANT_CMD') or 'sextant lsp', '%s+', { trimempty = true })
  local fake_log = os.getenv('SEXTANT_FAKE_LOG')
  if fake_log == '' then
    fake_log = nil
  end
  local version = vim.version()
  out(('Neovim %d.%d.%d, API %s, cmd %s'):format(version.major, version.minor, version.patch, api, table.concat(cmd, ' ')))

  local settings = { kamalVersion = '2.8.2', ignore = { 'S010' } }
  if api == 'native' then
    assert(vim.fn.has('nvim-0.11') == 1, 'SEXTANT_TEST_API=native needs Neovim 0.11 or later')
    vim.lsp.config('sextant', { cmd = cmd, settings = { sextant = settings } })
    vim.lsp.enable('sextant')
  else
    require('sextant').setup({ cmd = cmd, settings = settings, legacy = api == 'legacy' })
  end

  local function sextant_clients(bufnr)
    local result = {}
    local list
    if vim.lsp.get_clients then
      list = vim.lsp.get_clients({ bufnr = bufnr })
    else
      list = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
    end
    for _, client in ipairs(list) do
      if client.name == 'sextant' then
        table.insert(result, client)
      end
    end
    return result
  end

  local function open(path)
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    return vim.api.nvim_get_current_buf()
  end

  local function sextant_diagnostics(bufnr)
    local result = {}
    for _, client in ipairs(sextant_clients(bufnr)) do
      local namespace = vim.lsp.diagnostic.get_namespace(client.id)
      for _, diagnostic in ipairs(vim.diagnostic.get(bufnr, { namespace = namespace })) do
        table.insert(result, diagnostic)
      end
    end
    return result
  end

  -- 2. Diagnostics for the example project.
  local deploy = repo .. '/examples/config/deploy.yml'
  local bufnr = open(deploy)
  check(vim.bo[bufnr].filetype == 'yaml', 'examples/config/deploy.yml has filetype yaml')
  local with_code = function()
    for _, d in ipairs(sextant_diagnostics(bufnr)) do
      if d.source ~= nil and d.source ~= '' and d.code ~= nil then
        return true
      end
    end
    return false
  end
  vim.wait(15000, with_code, 100)
  local diagnostics = sextant_diagnostics(bufnr)
  table.sort(diagnostics, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  local names = { 'error', 'warning', 'info', 'hint' }
  for _, d in ipairs(diagnostics) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    out(('  examples/config/deploy.yml:%d:%d: %s [%s %s] %s'):format(
      d.lnum + 1,
      d.col + 1,
      names[d.severity] or tostring(d.severity),
      tostring(d.source),
      tostring(code),
      (d.message:gsub('\n', ' '))
    ))
  end
  check(with_code(), ('diagnostics with source and code arrived for examples/config/deploy.yml (%d)'):format(#diagnostics))
  if not fake_log then
    -- the real server: the example's deliberate mistakes, each on its line (1-based)
    local expected = {
      { 'K029', 15 }, -- restart option
      { 'K001', 23 }, -- proxy.healthcheck.port
      { 'K003', 41 }, -- retain_containers as a string
      { 'K022', 45 }, -- alias name with a capital
      { 'K020', 57 }, -- accessory with two host selectors
    }
    for _, e in ipairs(expected) do
      local found = false
      for _, d in ipairs(diagnostics) do
        local code = d.code
        if code == nil and d.user_data and d.user_data.lsp then
          code = d.user_data.lsp.code
        end
        if code == e[1] and d.lnum + 1 == e[2] and d.source == 'sextant' then
          found = true
        end
      end
      check(found, ('%s on line %d of examples/config/deploy.yml'):format(e[1], e[2]))
    end
  end
  local example_client = sextant_clients(bufnr)[1]
  check(example_client ~= nil and example_client.config.root_dir == repo .. '/examples', 'the example client is rooted at examples/')

  -- 3. Which files get the server.
  local tmp = vim.fn.tempname()
  local function write(rel, text)
    local path = tmp .. '/' .. rel
    vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
    local file = assert(io.open(path, 'w'))
    file:write(text)
    file:close()
    return path
  end
  write('app/config/deploy.yml', 'service: app\nimage: me/app\nservers:\n  - 192.0.2.1\nbuilder:\n  arch: amd64\n')
  write('app/config/deploy.staging.yml', 'servers:\n  - 192.0.2.2\nbuilder:\n  dockerfile: Dockerfile.staging\n')
  write('app/.kamal/secrets', '# comment\nKAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n')
  write('app/.kamal/secrets-common', 'RAILS_MASTER_KEY=$(cat config/master.key)\n')
  write('app/.kamal/secrets.staging', 'DB_PASSWORD=x\n')
  write('app/.kamal/hooks/pre-deploy', '#!/bin/sh\necho "$KAMAL_SERVICE"\n')
  write('app/.kamal/hooks/post-deploy', 'echo done\n')
  write('app/Dockerfile', 'FROM ruby:3.3\n')
  write('app/Dockerfile.staging', 'FROM ruby:3.3\n')
  write('app/docker/Dockerfile', 'FROM alpine\n')
  write('app/.github/workflows/deploy.yml', 'on: push\njobs: {}\n')
  write('app/config/database.yml', 'default: {}\n')
  write('app/bin/setup.sh', '#!/bin/sh\necho setup\n')
  write('other/config/deploy.staging.yml', 'servers: []\n')
  write('other/.kamal/secrets', 'A=1\n')
  write('other/Dockerfile', 'FROM alpine\n')

  local attached = {
    { 'app/config/deploy.yml', 'yaml' },
    { 'app/config/deploy.staging.yml', 'yaml' },
    { 'app/.kamal/secrets', 'sh' },
    { 'app/.kamal/secrets-common', 'sh' },
    { 'app/.kamal/secrets.staging', 'sh' },
    { 'app/.kamal/hooks/pre-deploy', 'sh' },
    { 'app/.kamal/hooks/post-deploy', 'sh' },
    { 'app/Dockerfile', 'dockerfile' },
    { 'app/Dockerfile.staging', 'dockerfile' },
  }
  local app_client_ids = {}
  for _, entry in ipairs(attached) do
    local buf = open(tmp .. '/' .. entry[1])
    check(vim.bo[buf].filetype == entry[2], ('%s has filetype %s (got %q)'):format(entry[1], entry[2], vim.bo[buf].filetype))
    vim.wait(5000, function()
      return #sextant_clients(buf) > 0
    end, 20)
    local clients = sextant_clients(buf)
    check(#clients == 1, ('%s gets the sextant client'):format(entry[1]))
    if clients[1] then
      app_client_ids[clients[1].id] = true
      check(clients[1].config.root_dir == tmp .. '/app', ('%s: root is the project folder'):format(entry[1]))
    end
  end
  check(vim.tbl_count(app_client_ids) == 1, 'one client serves every file of the project')
  check(example_client == nil or not app_client_ids[example_client.id], 'another project has another client')

  local not_attached = {
    'app/.github/workflows/deploy.yml',
    'app/config/database.yml',
    'app/docker/Dockerfile',
    'app/bin/setup.sh',
    'other/config/deploy.staging.yml',
    'other/.kamal/secrets',
    'other/Dockerfile',
  }
  for _, rel in ipairs(not_attached) do
    local buf = open(tmp .. '/' .. rel)
    vim.wait(300, function()
      return #sextant_clients(buf) > 0
    end, 20)
    check(#sextant_clients(buf) == 0, ('%s (filetype %s) does not get the server'):format(rel, vim.bo[buf].filetype))
  end

  -- 4. What the fake server received.
  if fake_log ~= nil then
    if api ~= 'native' then
      require('sextant').update_settings({ select = { 'K' } })
    end
    vim.wait(1000, function()
      return false
    end, 100)
    local messages = {}
    for line in io.lines(fake_log) do
      table.insert(messages, vim.json.decode(line))
    end
    local initialize, opened, configurations = {}, {}, {}
    for _, message in ipairs(messages) do
      if message.method == 'initialize' then
        table.insert(initialize, message.params)
      elseif message.method == 'textDocument/didOpen' then
        opened[vim.uri_to_fname(message.params.textDocument.uri)] = true
      elseif message.method == 'workspace/didChangeConfiguration' then
        table.insert(configurations, message.params.settings)
      end
    end
    check(#initialize == 2, ('two servers started, one per project (%d)'):format(#initialize))
    local expected = { kamalVersion = '2.8.2', ignore = { 'S010' }, shellcheck = true }
    for _, params in ipairs(initialize) do
      check(vim.deep_equal(params.initializationOptions, expected), 'initializationOptions: ' .. vim.inspect(params.initializationOptions, { newline = ' ', indent = '' }))
    end
    local saw_settings, saw_update = false, false
    for _, settings_sent in ipairs(configurations) do
      local s = settings_sent.sextant or {}
      if s.kamalVersion == '2.8.2' and s.shellcheck == true then
        saw_settings = true
      end
      if type(s.select) == 'table' and s.select[1] == 'K' then
        saw_update = true
      end
    end
    check(saw_settings, 'workspace/didChangeConfiguration carried the sextant settings')
    if api ~= 'native' then
      check(saw_update, "update_settings() sent the new settings (select = { 'K' })")
    end
    for _, entry in ipairs(attached) do
      check(opened[tmp .. '/' .. entry[1]] == true, 'the server was told of ' .. entry[1])
    end
    for _, rel in ipairs(not_attached) do
      check(opened[tmp .. '/' .. rel] == nil, 'the server never heard of ' .. rel)
    end
  end

  -- 5. :SextantRestart gives the example file a new client, and its diagnostics again.
  vim.cmd('buffer ' .. bufnr)
  local old_id = example_client and example_client.id
  vim.cmd('SextantRestart')
  vim.wait(15000, function()
    local client = sextant_clients(bufnr)[1]
    return client ~= nil and client.id ~= old_id and with_code()
  end, 100)
  local new_client = sextant_clients(bufnr)[1]
  check(new_client ~= nil and new_client.id ~= old_id, ':SextantRestart started a new client for examples/config/deploy.yml')
  check(with_code(), 'diagnostics arrived again after :SextantRestart')

  vim.fn.delete(tmp, 'rf')
end, debug.traceback)

if not ok then
  failures = failures + 1
  out('FAIL: error: ' .. tostring(err))
end
finish()
