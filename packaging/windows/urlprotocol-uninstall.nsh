; Removes the chatterbox: URL protocol when the app is uninstalled.
DeleteRegKey HKCU "Software\Classes\chatterbox"
