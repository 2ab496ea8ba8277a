// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Bytes of files for the tests of sending and fetching them.

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdint>
#include <random>

namespace chatterbox::test {

// Bytes that do not compress and are the same for the same seed.
inline QByteArray randomFileBytes(qsizetype size, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (auto &b : bytes)
        b = static_cast<char>(random());
    return bytes;
}

// A file's contents; empty when it cannot be read.
inline QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace chatterbox::test
