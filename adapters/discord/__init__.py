"""The Discord adapter: slash commands, modals, buttons, embeds and DMs on discord.py.

Import the submodules directly: ``adapter`` and ``render`` import discord.py, which is slow to load,
while ``cli`` and ``tree`` stay cheap so ``offerbound --help`` does not pay for it.
"""
