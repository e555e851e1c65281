// framepipe's single error type: a message written for the user plus the exit code it maps to.
// Pure modules throw it; main() catches it once and prints "framepipe: error: <message>".
#pragma once

#include "exit_codes.h"

#include <stdexcept>
#include <string>

namespace framepipe {

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const { return code_; }

  private:
    ExitCode code_;
};

} // namespace framepipe
