-- Which files are Kamal files, and the project each belongs to.
--
-- A project is a folder holding config/deploy.yml. Its Kamal files are the deploy configs
-- (config/deploy.yml, config/deploy.DEST.yml, and the .yaml spellings), the secrets files
-- (.kamal/secrets, .kamal/secrets-common, .kamal/secrets.DEST), the hooks (.kamal/hooks/*), and
-- the Dockerfile that builder.dockerfile names (default Dockerfile). Any other file, such as
-- .github/workflows/deploy.yml, has no project: the server is not attached to it.
--
-- Works on Neovim 0.7 and later (no vim.fs, no vim.uv).

local M = {}

local uv = vim.uv or vim.loop

local function is_file(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'file'
end

local function read_file(path)
  local file = io.open(path, 'rb')
  if not file then
    return nil
  end
  local text = file:read('*a')
  file:close()
  return text
end

--- Forward slashes, no trailing slash (except for "/").
function M.normalize(path)
  path = path:gsub('\\', '/')
  if #path > 1 then
    path = path:gsub('/+$', '')
  end
  return path
end

local function parent(path)
  local dir = path:match('^(.*)/[^/]*$')
  if dir == nil then
    return nil
  end
  if dir == '' or dir:match('^%a:$') then
    return dir .. '/'
  end
  return dir
end

local function join(root, rel)
  if root:sub(-1) == '/' then
    return root .. rel
  end
  return root .. '/' .. rel
end

--- Whether `dir` is a project root (holds config/deploy.yml).
function M.is_project_root(dir)
  return is_file(join(dir, 'config/deploy.yml'))
end

--- The kind of Kamal file a path is by its shape ('deploy', 'secrets', 'hook'), and the root it
--- implies; nil for any other path (Dockerfiles are found by `root_for_path`).
function M.classify(path)
  path = M.normalize(path)
  local patterns = {
    { 'deploy', '^(.*)/config/deploy%.ya?ml$' },
    { 'deploy', '^(.*)/config/deploy%.[^/]+%.ya?ml$' },
    { 'secrets', '^(.*)/%.kamal/secrets$' },
    { 'secrets', '^(.*)/%.kamal/secrets%-common$' },
    { 'secrets', '^(.*)/%.kamal/secrets%.[^/]+$' },
    { 'hook', '^(.*)/%.kamal/hooks/[^/]+$' },
  }
  for _, entry in ipairs(patterns) do
    local root = path:match(entry[2])
    if root ~= nil then
      if root == '' or root:match('^%a:$') then
        root = root .. '/'
      end
      return entry[1], root
    end
  end
  return nil
end

--- The Dockerfile a deploy config names in builder.dockerfile, or nil when it names none (Kamal's
--- default is then Dockerfile). A line-based reading of the plain forms; a value written with ERB
--- or an alias is not read.
function M.builder_dockerfile(text)
  local in_builder, builder_indent = false, nil
  for line in (text .. '\n'):gmatch('(.-)\r?\n') do
    if not line:match('^%s*$') and not line:match('^%s*#') then
      local indent = #line:match('^%s*')
      if indent == 0 then
        in_builder = line:match('^builder%s*:%s*$') ~= nil or line:match('^builder%s*:%s+#') ~= nil
        builder_indent = nil
      elseif in_builder then
        builder_indent = builder_indent or indent
        if indent == builder_indent then
          local value = line:match('^%s+dockerfile%s*:%s*(.-)%s*$')
          if value ~= nil then
            local v = value:match('^"([^"]*)"') or value:match("^'([^']*)'")
            if v == nil then
              v = value:match('^#') and '' or value:gsub('%s+#.*$', '')
            end
            v = vim.trim(v)
            if v == '' or v:find('<%', 1, true) or v:match('^[*&]') then
              return nil
            end
            v = v:gsub('\\', '/')
            while v:sub(1, 2) == './' do
              v = v:sub(3)
            end
            return v
          end
        end
      end
    end
  end
  return nil
end

--- The Dockerfiles of the project at `root`, relative to it: Dockerfile unless the base config
--- names another, and each file a deploy config names. Paths leaving the root are dropped.
function M.project_dockerfiles(root)
  local texts = { read_file(join(root, 'config/deploy.yml')) or '' }
  local names = {}
  local handle = uv.fs_scandir(join(root, 'config'))
  if handle then
    while true do
      local name, kind = uv.fs_scandir_next(handle)
      if name == nil then
        break
      end
      if kind == 'file' and name ~= 'deploy.yml' and (name:match('^deploy%.ya?ml$') or name:match('^deploy%.[^/]+%.ya?ml$')) then
        table.insert(names, name)
      end
    end
  end
  table.sort(names)
  for _, name in ipairs(names) do
    table.insert(texts, read_file(join(root, 'config/' .. name)) or '')
  end

  local result, seen = {}, {}
  local base_names_one = M.builder_dockerfile(texts[1]) ~= nil
  if not base_names_one then
    table.insert(result, 'Dockerfile')
    seen['Dockerfile'] = true
  end
  for _, text in ipairs(texts) do
    local name = M.builder_dockerfile(text)
    if name ~= nil and not seen[name] and name:sub(1, 3) ~= '../' and name:sub(1, 1) ~= '/' then
      seen[name] = true
      table.insert(result, name)
    end
  end
  return result
end

--- The nearest folder above `path` that is a project root, or nil.
function M.find_root(path)
  local dir = parent(M.normalize(path))
  local depth = 0
  while dir ~= nil and depth < 64 do
    if M.is_project_root(dir) then
      return dir
    end
    local up = parent(dir:sub(-1) == '/' and dir:sub(1, -2) or dir)
    if up == nil or up == dir then
      return nil
    end
    dir = up
    depth = depth + 1
  end
  return nil
end

--- The project root of a Kamal file, or nil when the path is not one.
function M.root_for_path(path)
  if path == nil or path == '' then
    return nil
  end
  path = M.normalize(path)
  local kind, root = M.classify(path)
  if kind ~= nil then
    return M.is_project_root(root) and root or nil
  end
  -- A Dockerfile: the one its project builds with.
  root = M.find_root(path)
  if root == nil then
    return nil
  end
  local prefix = root:sub(-1) == '/' and root or root .. '/'
  local rel = path:sub(#prefix + 1)
  for _, dockerfile in ipairs(M.project_dockerfiles(root)) do
    if rel == dockerfile then
      return root
    end
  end
  return nil
end

--- The project root of a buffer's file, or nil (also for unnamed and non-file buffers).
function M.root_for_buffer(bufnr)
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return nil
  end
  return M.root_for_path(vim.fn.fnamemodify(name, ':p'))
end

return M
