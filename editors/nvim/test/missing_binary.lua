-- Headless test: with no sextant binary, setup() does not fail, and opening Kamal files shows one
-- error (with how to install), not one per file. Run by test/run.sh.
local failures = 0
local function check(condition, what)
  io.stdout:write((condition and 'ok: ' or 'FAIL: ') .. what .. '\n')
  if not condition then
    failures = failures + 1
  end
end

local ok, err = xpcall(function()
  local repo = assert(os.getenv('SEXTANT_REPO'), 'SEXTANT_REPO is not set')
  local api = os.getenv('SEXTANT_TEST_API') or 'setup'
  local errors = {}
  vim.notify = function(message, level)
    if level == vim.log.levels.ERROR then
      table.insert(errors, message)
    end
  end
  require('sextant').setup({ cmd = { '/nonexistent/sextant', 'lsp' }, legacy = api == 'legacy' })
  vim.cmd('edit ' .. vim.fn.fnameescape(repo .. '/examples/config/deploy.yml'))
  vim.cmd('edit ' .. vim.fn.fnameescape(repo .. '/examples/config/deploy.staging.yml'))
  vim.wait(500, function()
    return false
  end, 50)
  check(#errors == 1, ('one error message (%d)'):format(#errors))
  check((errors[1] or ''):find('cargo install --path .', 1, true) ~= nil, 'it says how to install: ' .. tostring(errors[1]))
  check((errors[1] or ''):find('/nonexistent/sextant', 1, true) ~= nil, 'it names the command')
  check(#require('sextant').clients() == 0, 'no client is running')
end, debug.traceback)

if not ok then
  failures = failures + 1
  io.stdout:write('FAIL: error: ' .. tostring(err) .. '\n')
end
io.stdout:flush()
vim.cmd(failures > 0 and 'cquit 1' or 'qall!')
