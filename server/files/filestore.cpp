// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/files/filestore.h"

#include "shared/limits.h"
#include "shared/validation.h"

#include <pqxx/pqxx>

namespace chatterbox::server::files {

namespace {

FileRefusal refuse(int status, std::string code, std::string message)
{
    return FileRefusal{status, std::move(code), std::move(message), -1};
}

FileRefusal invalid(std::string message) { return refuse(400, "invalid_request", std::move(message)); }
FileRefusal notFound() { return refuse(404, "not_found", "no such file"); }

// The thumbnail is what its type says by its first bytes. The server never decodes it; this
// only keeps a file of another kind from being served as an image.
bool looksLike(std::string_view bytes, std::string_view type)
{
    if (type == "image/png")
        return bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8);
    if (type == "image/jpeg")
        return bytes.substr(0, 3) == "\xff\xd8\xff";
    if (type == "image/webp")
        return bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP";
    return false;
}

std::optional<FileRefusal> checkDeclared(const NewFile &file, const FileLimits &limits)
{
    if (auto e = protocol::checkFileName(file.name))
        return invalid(e->message);
    if (auto e = protocol::checkMediaType(file.mediaType))
        return invalid(e->message);
    if (file.size < 0)
        return invalid("size must not be negative");
    if (file.size > limits.maxFileBytes)
        return refuse(413, "file_too_large", "files can be at most " + std::to_string(limits.maxFileBytes) + " bytes on this server");
    if (file.width.has_value() != file.height.has_value())
        return invalid("give both width and height, or neither");
    if (file.width && (*file.width < 1 || *file.width > limits::kMaxImageSide || *file.height < 1 || *file.height > limits::kMaxImageSide))
        return invalid("width and height must be between 1 and " + std::to_string(limits::kMaxImageSide));
    if (file.thumbnail.size() > limits::kMaxThumbnailBytes)
        return invalid("the thumbnail can be at most " + std::to_string(limits::kMaxThumbnailBytes) + " bytes");
    if (!file.thumbnail.empty() && !looksLike(file.thumbnail, file.thumbnailType))
        return invalid("the thumbnail must be a PNG, JPEG or WebP image, with its type");
    return std::nullopt;
}

} // namespace

FileResult<UploadState> FileStore::begin(pqxx::transaction_base &tx, const std::string &userId, const NewFile &file)
{
    if (auto refusal = checkDeclared(file, m_limits))
        return {std::nullopt, *refusal};
    // The person's row lock: uploads begun at once take turns here, so their sum holds.
    tx.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", userId);
    const auto used = tx.exec_params1("SELECT coalesce(sum(size), 0) FROM files WHERE owner_id = $1", userId)[0].as<std::int64_t>();
    if (used + file.size > m_limits.quotaBytes)
        return {std::nullopt, refuse(413, "quota_exceeded",
                                     "this would take your files past the " + std::to_string(m_limits.quotaBytes)
                                         + " bytes each person has on this server (you have "
                                         + std::to_string(m_limits.quotaBytes - used) + " left); delete some messages with files first")};
    const std::string blob = m_blobs.create(tx, file.size);
    const auto row = tx.exec_params1(
        "INSERT INTO files (owner_id, blob_id, name, media_type, size, width, height, thumbnail, thumbnail_type)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''::bytea), NULLIF($9, '')) RETURNING id",
        userId, blob, file.name, file.mediaType, file.size, file.width, file.height, pqxx::binarystring(file.thumbnail),
        file.thumbnail.empty() ? std::string() : file.thumbnailType);
    UploadState state{row[0].as<std::string>(), file.size, 0};
    if (file.size == 0)
        seal(tx, state.fileId, blob);
    return {state, {}};
}

FileResult<UploadState> FileStore::append(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId,
                                          std::int64_t offset, std::string_view bytes)
{
    if (!protocol::isUuid(fileId))
        return {std::nullopt, notFound()};
    // Held until commit: two pieces for the same offset, sent at once, take turns, and the
    // second finds the upload past it.
    const auto rows = tx.exec_params("SELECT blob_id, size, received FROM files WHERE id = $1 AND owner_id = $2 FOR UPDATE",
                                     fileId, userId);
    if (rows.empty())
        return {std::nullopt, notFound()};
    const std::string blob = rows[0][0].as<std::string>();
    UploadState state{fileId, rows[0][1].as<std::int64_t>(), rows[0][2].as<std::int64_t>()};
    if (offset != state.received) {
        FileRefusal wrong = refuse(409, "wrong_offset", "the upload stands at byte " + std::to_string(state.received));
        wrong.offset = state.received;
        return {std::nullopt, wrong};
    }
    if (static_cast<std::int64_t>(bytes.size()) > state.size - state.received)
        return {std::nullopt, invalid("the piece goes past the file's declared size")};
    if (bytes.empty())
        return {state, {}};
    // A piece but the last is committed without waiting for the disk: if the database stops
    // before it is flushed, the upload stands where it stood before it, which is what the client
    // asks after any failure before it goes on (and the last piece, flushed, flushes them all).
    if (state.received + static_cast<std::int64_t>(bytes.size()) < state.size)
        tx.exec0("SET LOCAL synchronous_commit = off");
    m_blobs.write(tx, blob, offset, bytes);
    state.received += static_cast<std::int64_t>(bytes.size());
    tx.exec_params0("UPDATE files SET received = $2 WHERE id = $1", fileId, state.received);
    if (state.complete())
        seal(tx, fileId, blob);
    return {state, {}};
}

void FileStore::seal(pqxx::transaction_base &tx, const std::string &fileId, const std::string &blob)
{
    const std::string kept = m_blobs.seal(tx, blob);
    if (kept == blob)
        return;
    // The same bytes were stored before: this file names those, and its own copy goes.
    tx.exec_params0("UPDATE files SET blob_id = $2 WHERE id = $1", fileId, kept);
    m_blobs.dropUnused(tx, {blob});
}

std::optional<UploadState> FileStore::status(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId)
{
    if (!protocol::isUuid(fileId))
        return std::nullopt;
    const auto rows = tx.exec_params("SELECT size, received FROM files WHERE id = $1 AND owner_id = $2", fileId, userId);
    if (rows.empty())
        return std::nullopt;
    return UploadState{fileId, rows[0][0].as<std::int64_t>(), rows[0][1].as<std::int64_t>()};
}

std::optional<ReadableFile> FileStore::readable(pqxx::transaction_base &tx, const std::string &userId, const std::string &fileId)
{
    if (!protocol::isUuid(fileId))
        return std::nullopt;
    const auto rows = tx.exec_params(
        "SELECT f.blob_id, f.name, f.media_type, f.size, f.thumbnail, coalesce(f.thumbnail_type, '') FROM files f"
        " WHERE f.id = $1 AND f.received = f.size AND CASE WHEN f.message_id IS NULL THEN f.owner_id = $2"
        "  OR (f.avatar AND EXISTS (SELECT 1 FROM members mine JOIN members theirs ON theirs.party_id = mine.party_id"
        "                           WHERE mine.user_id = $2 AND theirs.user_id = f.owner_id))"
        " ELSE EXISTS (SELECT 1 FROM members mb WHERE mb.party_id = f.party_id AND mb.user_id = $2)"
        "  AND EXISTS (SELECT 1 FROM messages m WHERE m.id = f.message_id AND m.deleted_at IS NULL) END",
        fileId, userId);
    if (rows.empty())
        return std::nullopt;
    const auto &r = rows[0];
    ReadableFile file{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::int64_t>(), {}, r[5].as<std::string>()};
    if (!r[4].is_null())
        file.thumbnail = pqxx::binarystring(r[4]).str();
    return file;
}

std::string FileStore::read(pqxx::transaction_base &tx, const ReadableFile &file, std::int64_t from, std::int64_t to)
{
    return m_blobs.read(tx, file.blobId, from, to);
}

std::size_t FileStore::sweep(pqxx::transaction_base &tx)
{
    tx.exec_params0("DELETE FROM files WHERE message_id IS NULL AND NOT avatar AND created_at < now() - make_interval(hours => $1)",
                    limits::kUnsentFileHours);
    return m_blobs.dropUnused(tx, {});
}

} // namespace chatterbox::server::files
