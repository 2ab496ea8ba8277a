// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "bench/benchsession.h"

namespace chatterbox::bench {

struct FilesOptions {
    qint64 fileBytes = 25LL * 1024 * 1024;
    int rounds = 5;
};
// One person uploads a file of random bytes in the server's pieces (POST /files, PATCH each
// piece) and downloads it whole, `rounds` times with new bytes each time: MB/s each way.
int runFiles(Bench &bench, const FilesOptions &options);

} // namespace chatterbox::bench
