from briefing_app.cli import main

if __name__ == "__main__":  # worker processes import this module too (see extraction_pool)
    main()
