# Windows build of the one-folder bundle (PowerShell), the same steps as build.sh:
#
#   powershell -ExecutionPolicy Bypass -File .ci\bundle\build.ps1            # build dist\khuyencong
#   powershell -ExecutionPolicy Bypass -File .ci\bundle\build.ps1 -Install   # and copy it for this user,
#                                                                            # with a Start-menu shortcut
#
# The result, dist\khuyencong\khuyencong.exe, is a windowed program (no console) with the program's icon.
# Its data (the SQLite file, backups, logs) lives in %LOCALAPPDATA%\khuyencong, the remembered connection in
# %LOCALAPPDATA%\khuyencong too, and a server password in Windows Credential Manager.
#
# PyInstaller is a build tool only (GPL 2 with the bootloader exception): it is installed into a build-only
# virtual environment here and is NOT one of the package's dependencies. Pillow converts the PNG icon to .ico.
param([switch]$Install)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
$Build = Join-Path $Root "build\bundle"
$Venv = Join-Path $Build "venv"

if (-not (Test-Path "$Venv\Scripts\python.exe")) { py -3 -m venv $Venv }
& "$Venv\Scripts\python.exe" -m pip install -q --upgrade $Root "pyinstaller>=6.10,<7" pillow
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
& "$Venv\Scripts\python.exe" -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath (Join-Path $Root "dist") --workpath (Join-Path $Build "work") (Join-Path $Root ".ci\bundle\khuyencong.spec")
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

if ($Install) {
    # Program files per user (no administrator rights needed), a Start-menu shortcut to them.
    $Target = Join-Path $env:LOCALAPPDATA "Programs\khuyencong"
    if (Test-Path $Target) { Remove-Item -Recurse -Force $Target }
    Copy-Item -Recurse (Join-Path $Root "dist\khuyencong") $Target
    $Menu = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs"
    $Shell = New-Object -ComObject WScript.Shell
    $Link = $Shell.CreateShortcut((Join-Path $Menu "Quản lý đề án khuyến công.lnk"))
    $Link.TargetPath = Join-Path $Target "khuyencong.exe"
    $Link.WorkingDirectory = $Target
    $Link.IconLocation = (Join-Path $Target "khuyencong.exe") + ",0"
    $Link.Description = "Quản lý đề án khuyến công"
    $Link.Save()
    Write-Host "Installed in $Target; Start-menu shortcut created."
}
