from briefing_app.cli import main

main()
