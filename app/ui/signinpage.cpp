// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ui/signinpage.h"

#include "app/ui/theme.h"

#include "app/core/preferences.h"
#include "app/core/serverinfo.h"
#include "app/core/session.h"
#include "app/ui/icons.h"

#include <QClipboard>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace chatterbox::ui {

using app::Session;

SignInPage::SignInPage(Session &session, app::Preferences &preferences, const Theme &theme, QWidget *parent)
    : QWidget(parent), m_session(session), m_preferences(preferences)
{
    setObjectName(QStringLiteral("signInPage"));
    auto *card = new QFrame(this);
    card->setObjectName(QStringLiteral("signInCard"));
    card->setFrameShape(QFrame::StyledPanel);
    card->setFixedWidth(400);
    card->setAutoFillBackground(true);
    card->setBackgroundRole(QPalette::Base);

    auto *logo = new QLabel(card);
    logo->setPixmap(icon(QStringLiteral("chatterbox")).pixmap(72, 72));
    logo->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(tr("Sign in to Chatterbox"), card);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto *hint = new QLabel(tr("Enter the address of your group's server."), card);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);

    m_server = new QLineEdit(card);
    m_server->setObjectName(QStringLiteral("serverUrl"));
    m_server->setPlaceholderText(tr("chat.example.org"));
    m_server->setAccessibleName(tr("Server address"));
    m_server->setClearButtonEnabled(true);
    m_server->setMinimumHeight(34);
    m_continue = new QPushButton(tr("Continue"), card);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setDefault(true);
    m_continue->setMinimumHeight(34);

    m_providerBox = new QWidget(card);
    m_providers = new QVBoxLayout(m_providerBox);
    m_providers->setContentsMargins(0, 0, 0, 0);
    m_providerBox->hide();

    m_status = new QLabel(card);
    m_status->setObjectName(QStringLiteral("signInStatus"));
    m_status->setAlignment(Qt::AlignCenter);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(card);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_cancel = new QPushButton(tr("Cancel"), card);
    m_cancel->setObjectName(QStringLiteral("cancelSignIn"));
    m_error = new QLabel(card);
    m_error->setObjectName(QStringLiteral("signInError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setAlignment(Qt::AlignCenter);
    QPalette ink = m_error->palette();
    ink.setColor(QPalette::WindowText, theme.danger());
    m_error->setPalette(ink);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_noBrowser = new QPushButton(tr("Browser did not open?"), card);
    m_noBrowser->setObjectName(QStringLiteral("noBrowserButton"));
    m_noBrowser->setFlat(true);
    m_noBrowser->setCursor(Qt::PointingHandCursor);
    m_noBrowser->setAutoDefault(false);

    m_manual = new QWidget(card);
    m_manual->setObjectName(QStringLiteral("manualSignIn"));
    m_manualText = new QLabel(m_manual);
    m_manualText->setObjectName(QStringLiteral("manualSignInText"));
    m_manualText->setTextFormat(Qt::PlainText);
    m_manualText->setWordWrap(true);
    m_manualText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address = new QLineEdit(m_manual);
    m_address->setObjectName(QStringLiteral("signInAddress"));
    m_address->setReadOnly(true);
    m_address->setAccessibleName(tr("Sign-in address"));
    auto *copy = new QPushButton(icon(QStringLiteral("copy")), tr("Copy Address"), m_manual);
    copy->setObjectName(QStringLiteral("copySignInAddress"));
    copy->setAutoDefault(false);
    auto *retry = new QPushButton(icon(QStringLiteral("retry")), tr("Try Again"), m_manual);
    retry->setObjectName(QStringLiteral("retryBrowser"));
    retry->setAutoDefault(false);
    auto *manualButtons = new QHBoxLayout;
    manualButtons->addWidget(copy);
    manualButtons->addWidget(retry);
    auto *manualLayout = new QVBoxLayout(m_manual);
    manualLayout->setContentsMargins(0, 0, 0, 0);
    manualLayout->addWidget(m_manualText);
    manualLayout->addWidget(m_address);
    manualLayout->addLayout(manualButtons);
    m_manual->hide();

    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->setSpacing(12);
    layout->addWidget(logo);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addSpacing(8);
    layout->addWidget(m_server);
    layout->addWidget(m_continue);
    layout->addWidget(m_providerBox);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_manual);
    layout->addWidget(m_noBrowser, 0, Qt::AlignCenter);
    layout->addWidget(m_cancel, 0, Qt::AlignCenter);
    layout->addWidget(m_error);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch();
    outer->addWidget(card, 0, Qt::AlignHCenter);
    outer->addStretch(2);

    connect(m_continue, &QPushButton::clicked, this, &SignInPage::onContinue);
    connect(m_server, &QLineEdit::returnPressed, this, &SignInPage::onContinue);
    connect(m_server, &QLineEdit::textEdited, this, [this] { m_providerBox->hide(); m_continue->show(); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_session.cancelSignIn();
        setBusy({}, false);
    });
    connect(m_noBrowser, &QPushButton::clicked, this, [this] { showManualOpening({}); });
    connect(copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_address->text());
        m_address->selectAll();
    });
    connect(retry, &QPushButton::clicked, this, [this] {
        m_manual->hide();
        m_noBrowser->show();
        m_session.reopenBrowser();
    });
    connect(&m_session, &Session::browserProblem, this, &SignInPage::showManualOpening);
    connect(&m_session, &Session::serverReady, this, &SignInPage::onServerReady);
    connect(&m_session, &Session::stateChanged, this, &SignInPage::onStateChanged);
    connect(&m_session, &Session::failed, this, &SignInPage::showError);
    setBusy({}, false);
    m_error->hide();
}

void SignInPage::start(const QString &serverUrl)
{
    const QString url = serverUrl.isEmpty() ? m_preferences.serverUrl() : serverUrl;
    m_server->setText(url);
    m_server->setFocus();
    if (!url.isEmpty())
        onContinue();
}

void SignInPage::proposeServer(const QUrl &server)
{
    const QString address = server.toString(QUrl::RemoveUserInfo | QUrl::NormalizePathSegments);
    m_server->setText(address);
    m_providerBox->hide();
    m_continue->show();
    m_continue->setFocus();
    m_status->setText(tr("The invite link you opened is for the server %1. Continue to connect to it and sign in, "
                         "or change the address.").arg(address));
    m_status->show();
    m_progress->hide();
    m_error->hide();
}

void SignInPage::onContinue()
{
    m_error->hide();
    const QUrl url = app::normalizeServerUrl(m_server->text());
    if (url.isEmpty()) {
        showError(m_server->text().trimmed().isEmpty()
                      ? tr("Enter your server's address, for example chat.example.org.")
                      : tr("“%1” is not a server address. Check it and try again, for example chat.example.org.")
                            .arg(m_server->text().trimmed().left(100)));
        return;
    }
    m_session.setServer(url);
}

void SignInPage::onServerReady()
{
    const auto &info = m_session.server();
    m_preferences.setServerUrl(info.baseUrl.toString());
    while (QLayoutItem *item = m_providers->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto &provider : info.providers) {
        auto *button = new QPushButton(tr("Continue with %1").arg(provider.name), m_providerBox);
        button->setObjectName(QStringLiteral("provider-") + provider.id);
        button->setAutoDefault(true);   // Enter on the focused provider continues with it, as Space does
        button->setMinimumHeight(36);
        button->setIcon(icon(QStringLiteral("login")));
        connect(button, &QPushButton::clicked, this, [this, id = provider.id] {
            m_error->hide();
            m_session.signIn(id);
        });
        m_providers->addWidget(button);
    }
    if (info.providers.isEmpty())
        showError(tr("This server offers no way to sign in yet. Ask its operator to set up a sign-in provider."));
    m_continue->hide();
    m_providerBox->show();
    if (!info.providers.isEmpty())
        m_providers->itemAt(0)->widget()->setFocus();
    // Someone who signed in here before goes straight in.
    m_session.restore();
}

void SignInPage::onStateChanged()
{
    switch (m_session.state()) {
    case Session::State::Discovering: setBusy(tr("Contacting the server…"), false); break;
    case Session::State::WaitingForBrowser:
        setBusy(tr("Finish signing in in your browser. This window continues by itself when you are done."), true);
        break;
    case Session::State::SigningIn: setBusy(tr("Signing in…"), false); break;
    case Session::State::SignedOut:
    case Session::State::SignedIn: setBusy({}, false); break;
    }
}

void SignInPage::showManualOpening(const QString &problem)
{
    if (m_session.state() != Session::State::WaitingForBrowser)
        return;
    const QString how = tr("Open this address in a web browser on this computer to sign in. This window continues by "
                           "itself when you are done.");
    m_manualText->setText(problem.isEmpty() ? how : tr("Your web browser did not open (%1).").arg(problem) + QLatin1Char('\n') + how);
    m_address->setText(m_session.signInUrl().toString(QUrl::FullyEncoded));
    m_address->setCursorPosition(0);
    m_status->hide();
    m_noBrowser->hide();
    m_manual->show();
}

void SignInPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void SignInPage::setBusy(const QString &message, bool cancellable)
{
    m_status->setText(message);
    m_status->setVisible(!message.isEmpty());
    m_progress->setVisible(!message.isEmpty());
    m_cancel->setVisible(cancellable);
    // Waiting on a browser is the one wait that may need a hand.
    m_noBrowser->setVisible(cancellable);
    m_manual->hide();
    m_server->setEnabled(message.isEmpty());
    m_continue->setEnabled(message.isEmpty());
    m_providerBox->setEnabled(message.isEmpty());
}

} // namespace chatterbox::ui
