"""A fleet of kiosks fed from one repository of signed packs, through The Update
Framework (TUF): python-tuf's Metadata API writes the repository (kiosk.core.fleet.
repository), its ``ngclient`` reads it on each kiosk (kiosk.core.fleet.client).

Imported by `kiosk fleet ...` and by a kiosk configured with a fleet, never by
`kiosk run` on its own: python-tuf and securesystemslib load only here.
"""
