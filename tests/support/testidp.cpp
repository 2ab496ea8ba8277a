// SPDX-License-Identifier: GPL-3.0-or-later
#include "testidp.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QTest>
#include <QTimer>

namespace chatterbox::test {

TestIdentityProvider::TestIdentityProvider(Kind kind, QString clientId, QString clientSecret, QStringList options)
    : m_kind(kind), m_clientId(std::move(clientId)), m_clientSecret(std::move(clientSecret)), m_options(std::move(options))
{
}

TestIdentityProvider::~TestIdentityProvider()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000))
            m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool TestIdentityProvider::start()
{
    const QByteArray modules = qgetenv("CHATTERBOX_TEST_IDP_MODULES");
    if (modules.isEmpty()) {
        m_error = QStringLiteral("CHATTERBOX_TEST_IDP_MODULES is not set: run through ctest (the identity fixture installs the providers)");
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NODE_PATH"), QString::fromLocal8Bit(modules));
    m_process.setProcessEnvironment(env);
    const QString script = QStringLiteral(CHATTERBOX_TEST_IDP_SCRIPTS) + (m_kind == Kind::Oidc            ? QStringLiteral("/provider.js")
                                                                          : m_kind == Kind::OidcWithPages ? QStringLiteral("/oidc-provider.mjs")
                                                                                                          : QStringLiteral("/fake-github.js"));
    m_process.start(QStringLiteral("node"), QStringList{script, m_clientId, m_clientSecret} + m_options);
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot run node: ") + m_process.errorString();
        return false;
    }
    QByteArray out;
    const bool ready = QTest::qWaitFor([&] {
        out += m_process.readAllStandardOutput();
        return out.contains('\n') || m_process.state() == QProcess::NotRunning;
    }, 15000);
    const auto json = nlohmann::json::parse(out.left(out.indexOf('\n')).toStdString(), nullptr, false);
    if (!ready || !json.is_object()) {
        m_error = QStringLiteral("the provider did not start: ") + QString::fromUtf8(out + m_process.readAllStandardError());
        return false;
    }
    m_url = QString::fromStdString(json.value(m_kind == Kind::GitHub ? "url" : "issuer", std::string()));
    return !m_url.isEmpty();
}

bool TestIdentityProvider::setNext(const nlohmann::json &next)
{
    return control(QStringLiteral("next"), next);
}

bool TestIdentityProvider::control(const QString &name, const nlohmann::json &body)
{
    QNetworkAccessManager manager;
    const auto step = httpStep(manager, "POST", QUrl(m_url + QStringLiteral("/__test/") + name),
                               QByteArray::fromStdString(body.dump()), "application/json");
    return step.status == 200;
}

HttpStep httpStep(QNetworkAccessManager &manager, const QByteArray &method, const QUrl &url, const QByteArray &body,
                  const QByteArray &contentType)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpStep step;
    step.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    step.location = QUrl(QString::fromUtf8(reply->rawHeader("Location")));
    step.body = reply->readAll();
    reply->deleteLater();
    return step;
}

} // namespace chatterbox::test
