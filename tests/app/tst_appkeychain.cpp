// SPDX-License-Identifier: GPL-3.0-or-later
// The real keychain path with no keychain service running (as on a server, or a desktop whose
// Secret Service is not started): a clear error the app can show, no crash, and no secret written
// to a file as a fallback.

#include "app/core/keychainsecretstore.h"
#include "support/privatebus.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace chatterbox::app;

class TestAppKeychain : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QTemporaryDir m_runtime;
    chatterbox::test::PrivateBus m_bus;

private Q_SLOTS:
    void initTestCase()
    {
        // A session bus with nothing on it, so no Secret Service or KWallet, whatever desktop the
        // test runs from; a private home to look for files in.
        QVERIFY2(m_bus.start(), qPrintable(m_bus.error()));
        chatterbox::test::leaveDesktopSession(m_bus, m_runtime.path());
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/.config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", (m_home.path() + QStringLiteral("/.local/share")).toLocal8Bit());
    }

    void noKeychain_clearError_noPlaintextFile()
    {
        KeychainSecretStore store(QStringLiteral("chatterbox-test"));
        std::optional<std::pair<bool, QString>> written;
        store.write(QStringLiteral("refresh-token:test"), QStringLiteral("s3cret-refresh-token"),
                    [&](bool ok, const QString &error) { written = {ok, error}; });
        QVERIFY(QTest::qWaitFor([&] { return written.has_value(); }, 30000));
        QVERIFY(!written->first);
        QVERIFY2(written->second.contains(QStringLiteral("keychain")), qPrintable(written->second));

        std::optional<SecretStore::ReadResult> read;
        store.read(QStringLiteral("refresh-token:test"), [&](const SecretStore::ReadResult &r) { read = r; });
        QVERIFY(QTest::qWaitFor([&] { return read.has_value(); }, 30000));
        QVERIFY(read->status != SecretStore::Status::Ok);

        // Nothing anywhere under the home directory holds the secret.
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("s3cret-refresh-token"), qPrintable(f.fileName()));
        }
    }
};

QTEST_GUILESS_MAIN(TestAppKeychain)
#include "tst_appkeychain.moc"
