// --list-presets: every preset found, its encoder, whether this machine's ffmpeg has that
// encoder, its description and where it came from.
#pragma once

#include "preset_catalog.h"

#include <string>

namespace framepipe {

// Prints the list on stdout (a legend, if needed, on stderr); returns the exit status.
int list_presets(PresetCatalog& catalog, const std::string& ffmpeg_program);

} // namespace framepipe
