; Registers the chatterbox: URL protocol for the installed app (NSIS, used by CPack on Windows).
; The link goes after "--", so nothing in it is read as an option.
WriteRegStr HKCU "Software\Classes\chatterbox" "" "URL:Chatterbox invite"
WriteRegStr HKCU "Software\Classes\chatterbox" "URL Protocol" ""
WriteRegStr HKCU "Software\Classes\chatterbox\DefaultIcon" "" "$INSTDIR\bin\chatterbox.exe,0"
WriteRegStr HKCU "Software\Classes\chatterbox\shell\open\command" "" '"$INSTDIR\bin\chatterbox.exe" -- "%1"'
