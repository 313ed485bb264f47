// Sending a response body as it is produced (HTTP/1.1 chunked transfer coding), straight to the
// client's socket. Pistache 0.0.5 queues every write until the handler returns, so a response
// built in a handler is held in memory whole — 180 MB for the national DDI-Lifecycle export,
// twice over. Exports instead write into a std::ostream whose buffer (64 KiB) goes to the
// socket whenever it fills: the client receives the first bytes at once, memory stays flat
// whatever the size, and a slow client slows the exporter down (backpressure) instead of
// filling the server's memory.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

namespace regcat::web {

// Thrown when the client went away or stopped reading for longer than the stall timeout; the
// connection must then be closed (the response is incomplete, which the missing last chunk
// tells the client).
struct ClientGone : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How the end of the body is shown: by the last chunk (HTTP/1.1, head with Transfer-Encoding:
// chunked), or by closing the connection afterwards (HTTP/1.0, which has no chunks; the caller
// closes it).
enum class Framing { Chunked, UntilClose };

// Writes `head` (status line and headers, ending in an empty line) and then the body that
// `produce` writes, framed as `framing` says. `fd` is a connected socket (blocking or not).
// Returns the number of body bytes sent. Throws ClientGone (see above) or whatever `produce`
// throws; in both cases the body is incomplete.
unsigned long long sendStreamed(int fd, const std::string& head,
                                const std::function<void(std::ostream&)>& produce,
                                std::chrono::milliseconds stallTimeout,
                                Framing framing = Framing::Chunked);

}  // namespace regcat::web
