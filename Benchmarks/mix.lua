-- wrk script for Benchmarks/bench.py: every request takes the next path of a file of paths, the threads taking
-- turns through it, so that within one run no path is sent twice (a search is computed, never answered from a
-- repeat). Arguments after `--`: file, first line (0-based), number of lines, number of wrk threads, and
-- "wrap" to start over when the lines run out (pages, which the node never caches) or "stop" to end the thread.
local paths = {}
local next_index = 0
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  local file, first, count, nthreads = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  wrap = args[5] == "wrap"
  local n = 0
  for line in io.lines(file) do
    if n >= first and n < first + count and (n - first) % nthreads == thread_id then
      paths[#paths + 1] = line
    end
    n = n + 1
  end
end

function request()
  next_index = next_index + 1
  if next_index > #paths then
    if wrap then
      next_index = 1
    else
      wrk.thread:stop()
      next_index = #paths
    end
  end
  return wrk.format("GET", paths[next_index])
end
