-- Filetypes for Kamal files Neovim does not know, and :SextantRestart. The server itself starts
-- with require('sextant').setup() or, on Neovim 0.11+, vim.lsp.enable('sextant').
if vim.g.loaded_sextant then
  return
end
vim.g.loaded_sextant = true

-- .kamal/secrets, .kamal/secrets-common and .kamal/secrets.DEST are dotenv files: `sh`, as Neovim
-- gives .env files. A hook without a shebang line (and without an extension) is a shell script
-- too; one with a shebang keeps the filetype its shebang gives it.
local function hook_filetype(path, first_line)
  local name = path:match('[^/\\]+$') or ''
  if name:find('.', 1, true) or (first_line or ''):match('^#!') then
    return nil
  end
  return 'sh'
end

if vim.fn.has('nvim-0.9') == 1 and vim.filetype and vim.filetype.add then
  vim.filetype.add({
    pattern = {
      ['.*/%.kamal/secrets'] = 'sh',
      ['.*/%.kamal/secrets%-common'] = 'sh',
      ['.*/%.kamal/secrets%.[^/]+'] = 'sh',
      ['.*/%.kamal/hooks/[^/]+'] = function(path, bufnr)
        return hook_filetype(path, vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1])
      end,
    },
  })
else
  -- Neovim 0.7 and 0.8 detect filetypes with filetype.vim by default: autocommands, which run
  -- after its own (plugins load after `filetype on`).
  local group = vim.api.nvim_create_augroup('sextant_filetype', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = { '*/.kamal/secrets', '*/.kamal/secrets-common', '*/.kamal/secrets.*' },
    callback = function(args)
      if vim.bo[args.buf].filetype ~= 'sh' then
        vim.bo[args.buf].filetype = 'sh'
      end
    end,
  })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = { '*/.kamal/hooks/*' },
    callback = function(args)
      if vim.bo[args.buf].filetype == '' then
        local first = vim.api.nvim_buf_get_lines(args.buf, 0, 1, false)[1]
        local filetype = hook_filetype(args.file, first)
        if filetype ~= nil then
          vim.bo[args.buf].filetype = filetype
        end
      end
    end,
  })
end

vim.api.nvim_create_user_command('SextantRestart', function()
  local count = require('sextant').restart()
  vim.notify(('sextant: restarted (%d buffer%s)'):format(count, count == 1 and '' or 's'))
end, { desc = 'Restart the sextant language server' })
