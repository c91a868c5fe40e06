-- Cycles through the media paths listed in the file named by MEDIA_PATHS (one per line), each
-- connection starting at its own offset, so edge and origin get the same object set.
local paths = {}
for line in io.lines(os.getenv("MEDIA_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
