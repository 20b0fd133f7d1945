-- Drives the nnet language server from neovim's built-in LSP client (0.7: vim.lsp.start_client).
-- Paths come from the environment; the results go to NNET_RESULT as JSON.
local file = os.getenv("NNET_FILE")
local result_path = os.getenv("NNET_RESULT")
local server = vim.split(os.getenv("NNET_SERVER"), " ", { plain = true })
local result = { diagnostics = {}, hover = nil, error = nil }

local function finish()
  local out = io.open(result_path, "w")
  out:write(vim.fn.json_encode(result))
  out:close()
  vim.cmd("qall!")
end

local ok, failure = pcall(function()
  vim.cmd("edit " .. file)
  local buffer = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({ name = "nnet", cmd = server, root_dir = vim.fn.fnamemodify(file, ":h") })
  if not client then error("the client did not start") end
  vim.lsp.buf_attach_client(buffer, client)
  vim.wait(10000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
  end
  local line = tonumber(os.getenv("NNET_HOVER_LINE"))
  local character = tonumber(os.getenv("NNET_HOVER_CHARACTER"))
  local answers = vim.lsp.buf_request_sync(buffer, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_fname(file) }, position = { line = line, character = character },
  }, 10000)
  for _, answer in pairs(answers or {}) do
    if answer.result and answer.result.contents then result.hover = answer.result.contents.value end
    if answer.err then result.error = answer.err.message end
  end
  vim.lsp.stop_client(client)
end)
if not ok then result.error = tostring(failure) end
finish()
